-- id: tables_list
-- title: 文档中的表格
-- description: 文档中有哪些表，每张表的页码和单位；本表无数据的表也列出。
-- examples: 有哪些表 | 表格目录 | 附表有哪些
-- slots: document
-- needs: no_item
-- match: (哪些|什么|几张|多少张)(表|表格)|表格目录|附表|表格列表|表格清单
-- priority: 16
-- compose: listing
-- operators: provenance
select t.title as label, t.title as place, t.first_page, t.last_page, t.unit, t.is_empty
from doc_tables as t
where t.document_id = $document and t.kind <> 'other'
order by t.table_no
