-- Every figure the documents $documents print for the items asked about: their concepts
-- ($concepts), printed names ($names, normalised) and codes ($codes). Tables and narrative alike,
-- with each figure's role, year, measure, fund scope and kind of spending; the answer picks among
-- them (queries/pick.py) the one the question asks for. In each document's reading order.
--
-- Two steps: the row ids of the figures with those keys (figure_keys, sorted by key), then those rows
-- whole. `figures` is stored clustered by item (ingest/store.py cluster_figures), so the second step
-- reads a few blocks instead of every column of every document (half the time across 1,000 documents).
-- A key is a name, a concept or a code alike: the match is repeated on the rows read, exactly. Each
-- figure carries its table's title (`place`) and emptiness: no join with doc_tables.
with hits as (
    select k.figure as id
    from figure_keys as k
    where list_contains(list_concat($concepts, $names, $codes), k.key) and list_contains($documents, k.document_id)
)
select f.document_id, f.source, f.table_no, f.kind, f.place, f.page, f.code,
       f.name, f.item, f.concepts, f.role, f.ref_year, f.measure, f.scope, f.spending, f.row_name, f.column_name,
       f.parent, f.base, f.printed, f.value, f.unit, f.value_yuan, f.sentence, f.table_empty as is_empty,
       f.x0, f.top, f.x1, f.bottom, f.row_no, f.col_no, f.classification
from figures as f
where f.rowid in (select id from hits)
  and (list_has_any(f.concepts, $concepts) or list_contains($names, f.item) or list_contains($codes, f.code))
order by f.document_id, f.ordinal
