-- id: tasks
-- title: 主要工作任务
-- description: 文档“主要工作任务（及目标）”部分的各条，按原文顺序。
-- examples: 主要工作任务是什么 | 今年的工作重点 | 主要工作任务第一条
-- slots: document
-- needs: no_item
-- match: (?:工作任务|主要任务|工作重点|重点工作)(?:的?第[一二三四五六七八九十\d]+条)?
-- priority: 20
-- compose: listing
select x.seq as label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'task'
order by x.seq
