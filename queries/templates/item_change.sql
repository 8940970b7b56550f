-- id: item_change
-- title: 比上年增减
-- description: 情况说明中写的某项目比上年增减的金额和百分比。
-- examples: 三公经费比上年增加多少 | 收入总计增长了多少 | 三公经费增长率
-- slots: document, statement
select s.item as label, s.measure, s.value, s.unit, s.printed, s.page, s.sentence
from statements as s
where s.document_id = $document and s.item = $statement and s.measure in ('change', 'percent')
order by s.page, s.measure
