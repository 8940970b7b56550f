-- id: text_search
-- title: 文档中的相关条文
-- description: 主要职责、单位概况、机构设置和名词解释中写到问题所说词语的条文（如“管不管彩票”“督查科负责哪些工作”）。
-- examples: 管不管彩票 | 督查科负责哪些工作 | 收养哪些人
-- slots: document, words
-- needs: text
-- match: 管不管|负不负责|是否负责|负责哪些工作|负责什么工作|负责哪些事|管哪些事|收养哪些|收养什么|是什么样的单位|什么性质的单位
-- priority: 19
-- compose: listing
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind in ('about', 'duty', 'unit', 'term') and regexp_matches(x.text, $words)
order by x.kind = 'about' desc, x.seq
