-- id: documents
-- title: 已加载的文档
-- description: 数据库里有哪些预算、决算文档（单位、年度、类型、页数、文件）。
-- examples: 有哪些文档 | 加载了哪些预算 | 文档列表
-- slots:
select d.document_id, d.body, d.year, d.phase, d.edition, d.pages,
       string_agg(f.file_name, '、' order by f.file_no) as files
from documents as d
join files as f on f.document_id = d.document_id
group by all
order by d.body, d.year, d.phase, d.edition
