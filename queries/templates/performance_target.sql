-- id: performance_target
-- title: 绩效目标
-- description: 绩效目标表中某个指标的目标值（如群众满意度、响应时间），及其所属项目。
-- examples: 群众满意度目标是多少 | 运行维护响应时间 | 预算执行率指标
-- slots: document, indicator, question
-- needs: text
-- match: 绩效|满意度|指标|响应时间|完成率|合格率|执行率|知晓率|时限|目标值|及时率|达标率|覆盖率|准确率|目标(?:是|为|定的是|定了|定为|值)?(?:多少|几|什么)
-- priority: 50
-- compose: listing
-- operators: rate
-- A unit the question names (one of the units the document's tables list rows under, its place left out):
-- only that unit's targets, never another unit's project of the same name.
with named as (
    select distinct regexp_replace(f.parent, '^[^（）()]*?[省市区县]', '') as unit
    from figures as f
    where f.document_id = $document and f.source = 'table' and f.parent <> ''
      and contains($question, regexp_replace(f.parent, '^[^（）()]*?[省市区县]', ''))
)
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'target' and contains(x.label, $indicator)
  and (not exists (select 1 from named) or exists (select 1 from named as n where contains(x.text, n.unit)))
order by length(x.label), x.seq
