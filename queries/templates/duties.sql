-- id: duties
-- title: 主要职责
-- description: 文档“主要职能”“主要职责”部分的各条。
-- examples: 主要职责是什么 | 该部门负责什么 | 职能有哪些
-- slots: document
-- needs: no_item
-- match: 职责|职能|负责什么|负责哪些|干什么|做什么|主要任务
-- priority: 20
-- compose: listing
select x.seq as label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'duty'
order by x.seq
