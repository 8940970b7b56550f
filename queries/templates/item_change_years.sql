-- id: item_change_years
-- title: 两个年度之间的增减额
-- description: 同一单位两个年度文档中同一项目的金额之差（后一年减前一年），由表中数字算出，列出公式。
-- examples: 江苏省政协办公厅2019年比2017年三公经费增加多少 | 省检察院2017年到2018年基本支出变化
-- slots: documents, lookups, figure
-- needs: item, years2
-- scope: years
-- match: 增|减|变化|变动|差|比|相比|对比|多了|少了|到
-- priority: 38
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       b.amount_yuan - lag(b.amount_yuan) over (order by d.year) as change_yuan
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1
order by d.year
