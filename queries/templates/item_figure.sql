-- id: item_figure
-- title: 项目金额
-- description: 一个预算项目（如“三公”经费、基本支出）在表格中印的金额，以及情况说明中写的数字；两者不同时都列出并指明。决算文档取决算数。
-- examples: 三公经费多少 | 基本支出是多少 | 公务接待费预算多少 | 建安区政数局2021年收入总计
-- slots: documents, lookups, figure, statement
-- needs: item
-- priority: 80
-- uses: item_rows
select 'table' as source, r.document_id, r.place, r.page, r.label, r.measure, r.printed, r.amount, r.unit,
       r.amount_yuan, r.is_empty, r.figure_kind, '' as sentence,
       r.lookup_rank, r.kind_rank, r.phase_rank, r.row_rank, r.measure_rank
from item_rows as r
union all
select 'text' as source, s.document_id, '情况说明' as place, s.page, s.item as label, s.measure, s.printed,
       s.value as amount, s.unit,
       case s.unit when '万元' then s.value * 10000 when '亿元' then s.value * 100000000
                   when '元' then s.value end as amount_yuan,
       false as is_empty, '' as figure_kind, s.sentence, 0 as lookup_rank, 0 as kind_rank, false as phase_rank, 0 as row_rank,
       0 as measure_rank
from statements as s
where list_contains($documents, s.document_id) and s.item = $statement and s.measure in ('amount', 'count')
order by source, lookup_rank, kind_rank, phase_rank, row_rank, measure_rank, page
