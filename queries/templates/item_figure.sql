-- id: item_figure
-- title: 项目的数字
-- description: 一份文档中一个或几个项目的数字：表中印的和情况说明中写的（两者不同时都列出并指明）。问“上年”“年初预算”“决算数”取那一栏；问“几辆”“多少人”取数量，不拿金额充数。
-- examples: 三公经费多少 | 基本支出和项目支出各多少 | 住房公积金是多少 | 2010301是多少 | 公务用车有几辆 | 上年项目支出多少
-- slots: documents, concepts, names, codes, count
-- needs: item
-- default: 支出总计
-- default_when: 预算|决算|盘子|总额
-- priority: 80
-- compose: values
-- uses: item_figures, document_figures, longer_named_figures
-- the item's figures, and (when the question asks a count: $count) the counts the narrative states in the same
-- sentences ("共9个项目纳入绩效目标管理，涉及资金1,175.65万元"): a count asked of nothing named is read beside
-- its amount; and the rows under a longer name holding the one asked ("机关事业单位职业年金缴费支出" for 职业年金缴费):
-- where the tables print it with the same amount, the narrative's figure of it is the item's
select * from item_figures
union all
select * from document_figures
where $count and source = 'text' and measure = '数量'
  and sentence in (select sentence from item_figures where source = 'text')
union all
select * from longer_named_figures
