-- Every printed figure of budget items in the documents $documents.
-- $lookups: the items' places from glossary.toml, as a list of
--   {item_no, item, rank, kinds, rows, measures, columns}: item_no 1 is the item asked about,
--   2, 3 ... the items it is compared with or made of; see the glossary's header for the rest.
-- $figure: '' (the document's own figure: 决算数 in a 决算, else 预算数), '预算数' or '决算数'.
-- figure_kind: 决算数 or 预算数, from the column's name, else from the document's phase.
-- Rank columns (smaller is better): lookup_rank, kind_rank, phase_rank, row_rank, measure_rank.
select f.document_id, f.table_no, lk.l.item_no, lk.l.item, lk.l.rank as lookup_rank, t.title as place, t.kind, f.page, f.item_name as label,
       f.measure, f.printed, f.amount, f.unit, f.amount_yuan, t.is_empty,
       case when f.measure like '%决算数%' then '决算数' when f.measure like '%预算数%' then '预算数'
            when d.phase = '决算' then '决算数' else '预算数' end as figure_kind,
       list_position(lk.l.kinds, t.kind) as kind_rank,
       case when f.measure like '%决算数%' then '决算数' when f.measure like '%预算数%' then '预算数'
            when d.phase = '决算' then '决算数' else '预算数' end
           <> coalesce(nullif($figure, ''), d.phase || '数') as phase_rank,
       coalesce(list_position(lk.l.rows, f.item), 0) as row_rank,
       coalesce(list_position(lk.l.measures, f.measure), list_position(lk.l.columns, f.column_item)) as measure_rank
from (
    select x.*, regexp_extract(regexp_replace(x.measure, '/?(预算数|决算数)$', ''), '[^/]*$') as column_item
    from facts as x
    where list_contains($documents, x.document_id)
) as f
join doc_tables as t on t.document_id = f.document_id and t.table_no = f.table_no
join documents as d on d.document_id = f.document_id
join (select unnest($lookups) as l) as lk
  on list_contains(lk.l.kinds, t.kind)
 and ((list_contains(lk.l.rows, f.item)
       and (list_contains(lk.l.measures, f.measure) or list_contains(lk.l.columns, f.column_item)))
      or (f.item = '' and list_contains(lk.l.columns, f.column_item)))
