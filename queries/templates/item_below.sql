-- id: item_below
-- title: 低于给定金额的单位
-- description: 同一年度某项目低于给定金额的单位（空白的不算作 0，不列出）。
-- examples: 2019年三公经费低于600万元的部门 | 2017年哪些单位培训费不到一百万
-- slots: documents, lookups, figure, threshold
-- needs: item, amount
-- scope: bodies
-- match: 低于|少于|小于|不到|以下|不足|不超过
-- priority: 40
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1 and b.amount_yuan < $threshold
order by b.amount_yuan, d.body
