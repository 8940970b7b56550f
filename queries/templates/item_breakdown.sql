-- id: item_breakdown
-- title: 项目的构成
-- description: 一个项目由哪些部分组成（如“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费），各部分的金额，以及各部分之和是否等于总数。
-- examples: 三公经费由哪些构成 | 基本支出包括哪些 | 公务用车费明细
-- slots: documents, lookups, figure
-- needs: item
-- match: 由哪些|包括|包含|构成|组成|明细|分项|细分|哪几部分|哪些部分|各项|分别
-- priority: 30
-- uses: item_rows, item_best
select b.document_id, b.item_no, b.item, b.place, b.page, b.label, b.measure, b.printed, b.amount, b.unit,
       b.amount_yuan, b.is_empty,
       sum(b.amount_yuan) filter (where b.item_no > 1) over (partition by b.document_id) as parts_yuan,
       count(b.amount_yuan) filter (where b.item_no > 1) over (partition by b.document_id) as parts_printed
from item_best as b
order by b.item_no
