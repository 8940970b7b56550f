-- id: item_rank_bottom
-- title: 各单位从少到多排名
-- description: 同一年度各单位的同一项目从少到多排列（空白的不算作 0，不参加排名）。
-- examples: 2019年哪个部门三公经费最少 | 2017年会议费最低的单位
-- slots: documents, lookups, figure, limit
-- needs: item
-- scope: bodies
-- match: 最少|最低|最小|倒数
-- priority: 41
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       rank() over (order by b.amount_yuan) as position
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1 and b.amount_yuan is not null
order by b.amount_yuan, d.body
limit $limit
