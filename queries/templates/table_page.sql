-- id: table_page
-- title: 某张表在第几页
-- description: 一类标准表格（收支总表、“三公”经费表……）在文档中印在哪几页，单位是什么。
-- examples: 三公经费表在第几页 | 收入总表在哪一页 | 政府采购表在哪
-- slots: document, kind
-- needs: table, no_item
-- match: (几|哪)(一)?页|页码|在哪
-- priority: 13
-- compose: listing
-- operators: provenance
select t.title as label, t.title as place, t.first_page, t.last_page, t.unit, t.is_empty
from doc_tables as t
where t.document_id = $document and t.kind = $kind
order by t.table_no
