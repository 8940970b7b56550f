-- id: tables_list
-- title: 文档中的表格
-- description: 一份文档印有哪些表格，各在第几页，单位是什么，是否为空表。
-- examples: 有哪些表 | 表格目录 | 附表有哪些
-- slots: document
select t.table_no, t.title, t.kind, t.first_page, t.last_page, t.unit, t.is_empty
from doc_tables as t
where t.document_id = $document and t.kind <> 'other'
order by t.table_no
