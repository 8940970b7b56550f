-- The figures the documents $documents print under a longer name that holds one asked ($names, four characters
-- or more): "机关事业单位职业年金缴费支出" for 职业年金缴费.
select f.document_id, f.source, f.table_no, f.kind, f.place, f.page, f.code,
       f.name, f.item, f.concepts, f.role, f.ref_year, f.measure, f.scope, f.spending, f.row_name, f.column_name,
       f.parent, f.base, f.printed, f.value, f.unit, f.value_yuan, f.sentence, f.table_empty as is_empty,
       f.x0, f.top, f.x1, f.bottom, f.row_no, f.col_no, f.classification
from figures as f
where len(list_filter($names, lambda n: length(n) >= 4)) > 0  -- (no such name asked: nothing read)
  and list_contains($documents, f.document_id)
  and list_bool_or(list_transform($names, lambda n: length(n) >= 4 and contains(f.item, n) and f.item <> n))
