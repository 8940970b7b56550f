-- id: documents
-- title: 已加载的文档
-- description: 数据库里有哪些预算、决算文档（单位、年度、类型、页数、文件）；问题中写了单位、年度或类型时只列符合的。
-- examples: 有哪些文档 | 加载了哪些预算 | 文档列表 | 2019年有哪些文档
-- slots: documents
-- scope: all
-- needs: no_item
-- match: (有|加载|载入|收录|导入).*(哪些|什么|几份|多少).*(文档|文件|预算|决算)|文档列表|文件列表|文档目录|(哪些|哪几份|几份|什么)(文档|文件)
-- priority: 10
-- compose: documents
select d.document_id, d.body, d.year, d.phase, d.edition, d.pages,
       string_agg(f.file_name, '、' order by f.file_no) as files
from documents as d
join files as f on f.document_id = d.document_id
where list_contains($documents, d.document_id)
group by all
order by d.body, d.year, d.phase, d.edition
