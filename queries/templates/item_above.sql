-- id: item_above
-- title: 超过给定金额的单位
-- description: 同一年度某项目超过给定金额的单位（金额可写阿拉伯数字或中文数字，如“一百万”）。
-- examples: 2019年三公经费超过100万元的部门 | 2017年哪些单位会议费高于一百万
-- slots: documents, lookups, figure, threshold
-- needs: item, amount
-- scope: bodies
-- match: 超过|高于|大于|多于|以上|不少于|不低于|过
-- priority: 40
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1 and b.amount_yuan > $threshold
order by b.amount_yuan desc, d.body
