-- id: keyword_existence
-- title: 文档里有没有写到
-- description: 问“有没有……”，问的不是文档印出的项目名称（如“PPP项目”）：名称或说明里写到它的项目和数字；都没有写到就说明没有写到。
-- examples: 湖州交通局有没有PPP项目 | 珠海交通市政项目工务中心有没有拿到国债资金 | 普陀财政局有没有援滇的钱
-- slots: documents, concepts, names, codes, keywords
-- needs: text, no_item
-- match: 有没有|有无|是否有|是否安排|有没|有(?=[^，,。？?]{1,30}?吗(?:[？?]?$|有的话|如果有))|安排(?:了)?(?:钱|资金|经费|预算)?吗
-- priority: 35
-- compose: existence
-- uses: item_figures, document_figures, mentioned_figures
-- operators: existence
-- the item's figures, then those whose printed name or sentence holds the words asked: the composer
-- shows the latter only when the item itself is not printed
select * from item_figures
union all
select * from mentioned_figures
