-- id: item_figure
-- title: 项目金额
-- description: 一个预算项目（如“三公”经费、基本支出）在表格中印的金额，以及情况说明中写的数字。项目在表中可以是一行（rows，列为 measures 中的列路径或 columns 中的列名），也可以是只有一行的表中的一列（columns：列路径的最后一段）；决算文档优先取决算数。
-- examples: 三公经费多少 | 基本支出是多少 | 公务接待费预算多少 | 建安区政数局2021年收入总计
-- slots: document, phase, kinds, rows, measures, columns, statement
select 'table' as source, t.title as place, f.page, f.item_name as label, f.measure, f.printed,
       f.amount, f.unit, f.amount_yuan, t.is_empty, '' as sentence,
       list_position($kinds, t.kind) as kind_rank,
       (f.measure like '%决算数%') = ($phase = '预算') as phase_rank,
       coalesce(list_position($rows, f.item), 0) as row_rank,
       coalesce(list_position($measures, f.measure), list_position($columns, f.column_item)) as measure_rank
from (
    select x.*, regexp_extract(regexp_replace(x.measure, '/?(预算数|决算数)$', ''), '[^/]*$') as column_item
    from facts as x
    where x.document_id = $document
) as f
join doc_tables as t on t.document_id = f.document_id and t.table_no = f.table_no
where list_contains($kinds, t.kind)
  and ((list_contains($rows, f.item)
        and (list_contains($measures, f.measure) or list_contains($columns, f.column_item)))
       or (f.item = '' and list_contains($columns, f.column_item)))
union all
select 'text' as source, '情况说明' as place, s.page, s.item as label, s.measure, s.printed,
       s.value as amount, s.unit,
       case s.unit when '万元' then s.value * 10000 when '亿元' then s.value * 100000000
                   when '元' then s.value end as amount_yuan,
       false as is_empty, s.sentence, 0 as kind_rank, false as phase_rank, 0 as row_rank, 0 as measure_rank
from statements as s
where s.document_id = $document and s.item = $statement and s.measure in ('amount', 'count')
order by source, kind_rank, phase_rank, row_rank, measure_rank, page
