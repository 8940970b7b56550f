-- id: internal_units
-- title: 机构设置
-- description: 内设机构（股室、处室）的个数和名称。
-- examples: 机构设置 | 内设机构有哪些 | 机构设置情况
-- slots: document
-- needs: no_item
-- match: 机构设置|内设机构|股室|处室|科室|内设
-- priority: 21
-- compose: listing
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'unit'
order by x.seq
