-- id: duties
-- title: 主要职责
-- description: 文档概况中列出的主要职责（职能）。
-- examples: 主要职责是什么 | 政数局负责什么 | 职能有哪些
-- slots: document
select x.seq, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'duty'
order by x.seq
