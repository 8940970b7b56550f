-- id: item_by_year
-- title: 历年金额
-- description: 同一单位各年度文档中同一项目的金额（同一阶段，部门版优先），按年份排列。
-- examples: 江苏省政协办公厅历年三公经费 | 省高院各年基本支出 | 政协三公经费变化趋势
-- slots: documents, lookups, figure
-- needs: item
-- scope: years
-- match: 历年|每年|各年|逐年|趋势|近几年|这几年|历史|多年|各个年度|各年度
-- priority: 39
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, b.place, b.page, b.label, b.printed, b.amount, b.unit, b.amount_yuan,
       b.is_empty
from item_best as b
join documents as d on d.document_id = b.document_id
where b.item_no = 1
order by d.year
