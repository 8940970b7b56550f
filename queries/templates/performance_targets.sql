-- id: performance_targets
-- title: 全部绩效指标
-- description: 绩效目标表中的全部指标和目标值。
-- examples: 绩效目标有哪些 | 有哪些绩效指标 | 绩效指标一览
-- slots: document
-- needs: no_item
-- match: 绩效(目标|指标).*(有哪些|哪些|一览|列表|全部|所有)|(哪些|所有|全部)绩效
-- priority: 49
-- compose: listing
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'target'
order by x.seq
