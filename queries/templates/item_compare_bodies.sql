-- id: item_compare_bodies
-- title: 单位之间对比
-- description: 同一年度两个（或几个）单位同一项目的金额，以及最多与最少之差。
-- examples: 2019年省高院和省检察院三公经费对比 | 2017年人大办公厅与政协办公厅会议费比较
-- slots: documents, lookups, figure
-- needs: item, bodies2
-- scope: bodies
-- priority: 48
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       max(b.amount_yuan) over () - min(b.amount_yuan) over () as gap_yuan
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1
order by b.amount_yuan desc nulls last, d.body
