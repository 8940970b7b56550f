-- id: item_existence
-- title: 有没有这一项
-- description: 一个项目在文档中有没有：印了数字就给出数字（印为 0 的说明为 0），没有印出就找说明里说没有的原话；问的词不是印出的名称时，给出名称或说明里写到它的项目。
-- examples: 有没有政府性基金 | 有没有安排出国经费 | 是否有公务用车购置费
-- slots: documents, concepts, names, codes, keywords
-- needs: item
-- match: 有没有|有无|是否有|是否安排|有没|有(?=[^，,。？?]{1,30}?吗(?:[？?]?$|有的话|如果有))|安排(?:了)?(?:钱|资金|经费|预算)?吗
-- priority: 34
-- compose: existence
-- uses: item_figures, document_figures, mentioned_figures
-- operators: existence
-- the item's figures, then those whose printed name or sentence holds the words asked: the composer
-- shows the latter only when the item itself is not printed
select * from item_figures
union all
select * from mentioned_figures
