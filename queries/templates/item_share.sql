-- id: item_share
-- title: 项目占比
-- description: 一个项目占另一个项目（默认支出总计）的百分比，列出公式和两个数字。
-- examples: 三公经费占支出总计的比例 | 基本支出占比多少 | 人员经费占基本支出的比重
-- slots: documents, lookups, figure
-- needs: item
-- match: 占|比重
-- priority: 31
-- uses: item_rows, item_best
select n.document_id, n.item, n.place, n.page, n.label, n.printed, n.amount, n.unit, n.amount_yuan,
       d.item as whole_item, d.place as whole_place, d.page as whole_page, d.label as whole_label,
       d.printed as whole_printed, d.amount as whole_amount, d.unit as whole_unit, d.amount_yuan as whole_yuan
from item_best as n
join item_best as d on d.document_id = n.document_id and d.item_no = 2
where n.item_no = 1
