-- One figure of each item per document (needs item_rows): the first lookup that finds the item,
-- a filled cell before a blank one, then the preferred table, column and page.
select r.*
from item_rows as r
qualify row_number() over (
    partition by r.document_id, r.item_no
    order by r.lookup_rank, r.amount is null, r.kind_rank, r.phase_rank, r.row_rank, r.measure_rank, r.page
) = 1
