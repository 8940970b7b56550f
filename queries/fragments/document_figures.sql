-- Every figure the documents $documents print, in item_figures' columns: for the composers that choose among
-- all of a document's rows (the count a per-unit answer divides by, the rows a ranking ranks).
select f.document_id, f.source, f.table_no, f.kind, f.place, f.page, f.code,
       f.name, f.item, f.concepts, f.role, f.ref_year, f.measure, f.scope, f.spending, f.row_name, f.column_name,
       f.parent, f.base, f.printed, f.value, f.unit, f.value_yuan, f.sentence, f.table_empty as is_empty,
       f.x0, f.top, f.x1, f.bottom, f.row_no, f.col_no, f.classification
from figures as f
where list_contains($documents, f.document_id)
