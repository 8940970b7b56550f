-- id: item_total_bodies
-- title: 各单位合计
-- description: 同一年度各单位同一项目之和，列出每个加数和它的出处；空白的不计入，并说明。
-- examples: 2019年各部门三公经费合计 | 2017年所有单位会议费加起来多少
-- slots: documents, lookups, figure
-- needs: item
-- scope: bodies
-- match: (各|所有|全部|这些|几个)(个)?(部门|单位|机构).*(合计|总计|总共|一共|加起来|总和|共计|总额|汇总)|加起来|总和|汇总
-- priority: 45
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       sum(b.amount_yuan) over () as total_yuan
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1
order by d.body
