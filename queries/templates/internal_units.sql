-- id: internal_units
-- title: 机构设置
-- description: 内设机构（股室、处室）的数量和名称。
-- examples: 机构设置 | 有几个股室 | 内设机构有哪些
-- slots: document
select x.label as count, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'unit'
order by x.seq
