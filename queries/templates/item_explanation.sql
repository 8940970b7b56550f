-- id: item_explanation
-- title: 情况说明怎么说
-- description: 情况说明中写到这个项目的原句（包括增减的原因），按页码排列。
-- examples: 三公经费为什么减少 | 情况说明怎么说机关运行经费 | 支出总计增加的原因
-- slots: document, statement
-- needs: item
-- match: 为什么|原因|怎么说|如何说|说明了什么|原文|原话|怎么解释
-- priority: 35
select s.page, s.sentence as text, min(s.printed) as label
from statements as s
where s.document_id = $document and s.item = $statement
group by s.page, s.sentence
order by s.page, min(s.printed)
