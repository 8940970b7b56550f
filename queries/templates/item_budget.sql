-- id: item_budget
-- title: 项目的预算数
-- description: 决算文档中一个项目的年初预算数（决算表同时印预算数和决算数时取预算数那一栏）。
-- examples: 普陀区财政局2024年决算三公经费预算数 | 普陀区财政局2024年公务接待费年初预算是多少
-- slots: documents, lookups, figure
-- needs: item
-- match: 预算数|年初预算|调整预算|全年预算
-- priority: 33
-- uses: item_rows
select 'table' as source, r.document_id, r.place, r.page, r.label, r.measure, r.printed, r.amount, r.unit,
       r.amount_yuan, r.is_empty, r.figure_kind, '' as sentence
from item_rows as r
where r.figure_kind = '预算数'
order by r.lookup_rank, r.kind_rank, r.row_rank, r.measure_rank, r.page
