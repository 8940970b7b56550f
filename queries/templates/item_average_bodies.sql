-- id: item_average_bodies
-- title: 各单位平均
-- description: 同一年度各单位同一项目的平均数（只计印出数字的单位），列出每个数和出处。
-- examples: 2019年各部门三公经费平均多少 | 2017年单位平均会议费
-- slots: documents, lookups, figure
-- needs: item
-- scope: bodies
-- match: 平均|均值|人均
-- priority: 44
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       count(b.amount_yuan) over () as counted
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1
order by d.body
