-- id: narrative_figures
-- title: 情况说明中的数字
-- description: 情况说明中写出的全部金额数字（项目、数字、页码），按页码排列。
-- examples: 情况说明里有哪些数字 | 说明中的金额 | 情况说明写了哪些数
-- slots: document
-- needs: no_item
-- match: (情况说明|说明|文字).*(数字|数据|金额|数)
-- priority: 28
-- compose: listing
select s.page, s.name as label, s.printed, s.value as amount, s.unit, s.value_yuan as amount_yuan
from figures as s
where s.document_id = $document and s.source = 'text' and s.measure in ('金额', '数量')
order by s.page, s.row_no, s.col_no
