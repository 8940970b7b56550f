-- id: item_rank_top
-- title: 各单位从多到少排名
-- description: 同一年度各单位的同一项目从多到少排名（同一阶段；一个单位有部门版和单位版时取部门版）。
-- examples: 2019年哪个部门三公经费最多 | 2017年三公经费排名 | 2025年基本支出前三的单位
-- slots: documents, lookups, figure, limit
-- needs: item
-- scope: bodies
-- match: 哪个(部门|单位|机构)|哪些(部门|单位|机构)|哪家|谁|排名|排行|排序|前(\d+|[一二两三四五六七八九十])(名|个|家|位)?
-- priority: 42
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       rank() over (order by b.amount_yuan desc) as position
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1 and b.amount_yuan is not null
order by b.amount_yuan desc, d.body
limit $limit
