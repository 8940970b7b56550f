-- id: item_final
-- title: 项目的决算数
-- description: 决算文档中一个项目的决算数（实际支出）；预算文档没有决算数。
-- examples: 社会工作部2024年基本支出决算数 | 普陀区财政局2024年支出总计实际支出多少
-- slots: documents, lookups, figure
-- needs: item
-- match: 决算数|实际支出|实际花|实际使用|实际执行|实际发生
-- priority: 34
-- uses: item_rows
select 'table' as source, r.document_id, r.place, r.page, r.label, r.measure, r.printed, r.amount, r.unit,
       r.amount_yuan, r.is_empty, r.figure_kind, '' as sentence
from item_rows as r
where r.figure_kind = '决算数'
order by r.lookup_rank, r.kind_rank, r.row_rank, r.measure_rank, r.page
