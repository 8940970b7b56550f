-- id: item_max_year
-- title: 各年度从多到少
-- description: 同一单位各年度同一项目的金额，从多到少排列，指出最多和最少的年份。
-- examples: 江苏省政协办公厅哪一年三公经费最多 | 省高院哪年基本支出最少
-- slots: documents, lookups, figure
-- needs: item
-- scope: years
-- match: 哪(一)?年|哪个年度|哪一个年度
-- priority: 36
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1
order by b.amount_yuan desc nulls last, d.year
