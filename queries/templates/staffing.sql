-- id: staffing
-- title: 人员编制
-- description: 编制数（行政、事业）和在职人数。
-- examples: 人员构成 | 职工人数
-- slots: document
-- needs: no_item
-- match: 编制|在职|人员构成|多少人|几个人|几名|人数|职工
-- priority: 51
-- compose: listing
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'staffing'
order by x.seq
