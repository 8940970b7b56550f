-- id: item_change
-- title: 比上年增减（情况说明）
-- description: 情况说明中写的一个项目比上年的增减额和增减率，附原句。
-- examples: 三公经费比上年增加多少 | 收入总计增长了多少 | 三公经费增长率
-- slots: document, statement
-- needs: item
-- match: 增加|减少|增长|下降|增幅|降幅|增减|变化|比上年|较上年|同比|上升|减幅
-- priority: 40
select s.measure, s.value, s.unit, s.printed, s.page, s.sentence
from statements as s
where s.document_id = $document and s.item = $statement and s.measure in ('change', 'percent')
order by s.page, s.measure
