-- id: page_contents
-- title: 某一页有什么
-- description: 文档某一页上的表格（表名、单位），或这一页属于情况说明。
-- examples: 第5页是什么 | 第12页有哪些表 | 第3页的内容
-- slots: document, page
-- needs: page, no_item
-- priority: 15
-- compose: page_contents
-- operators: provenance
select t.title as label, t.title as place, t.first_page, t.last_page, t.unit, t.is_empty
from doc_tables as t
where t.document_id = $document and $page between t.first_page and t.last_page
order by t.table_no
