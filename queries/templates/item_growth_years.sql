-- id: item_growth_years
-- title: 两个年度之间的增长率
-- description: 同一单位两个年度同一项目的增长率 =（后一年 − 前一年）÷ 前一年，由表中数字算出，列出公式。
-- examples: 江苏省政协办公厅2017年到2019年三公经费增长率 | 省高院2019年比2017年基本支出增长了百分之几
-- slots: documents, lookups, figure
-- needs: item, years2
-- scope: years
-- match: 增长率|增速|增幅|降幅|下降率|减幅|百分之|百分比|%|比例|几成
-- priority: 37
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       lag(b.amount_yuan) over (order by d.year) as previous_yuan
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1
order by d.year
