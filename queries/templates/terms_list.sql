-- id: terms_list
-- title: 名词解释
-- description: 文档“名词解释”部分解释了哪些名词，以及每个名词的解释。
-- examples: 名词解释有哪些 | 有哪些术语 | 解释了哪些名词
-- slots: document
-- needs: no_item
-- match: 名词解释|术语|哪些名词
-- priority: 23
-- compose: listing
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'term'
order by x.seq
