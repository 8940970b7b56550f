-- The figure checker's findings of some documents, in the order ingest stored them.
select document_id, rule, title, severity, message, pages, figures
from findings
where list_contains($documents, document_id)
order by document_id, seq
