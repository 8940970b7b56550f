-- id: term
-- title: 一个名词的解释
-- description: 文档“名词解释”部分对一个名词的解释。
-- examples: 什么是机关运行经费 | 三公经费是什么意思 | 基本支出指什么
-- slots: document, term
-- needs: term
-- priority: 24
-- compose: listing
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'term'
  and contains(replace(replace(x.label, '“', ''), '”', ''), $term)
order by length(x.label), x.page
