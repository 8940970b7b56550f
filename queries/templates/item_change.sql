-- id: item_change
-- title: 比上年增减
-- description: 一个项目比上年增减多少、增长百分之几：情况说明写的增减额和增长率，以及表中印有上年数时算出的增减（写明公式）；两者不一致时指明。
-- examples: 三公经费比上年增加多少 | 收入总计增长了多少 | 项目支出比上年增长百分之几 | 2024年支出总计决算比预算少多少
-- slots: documents, concepts, names, codes
-- needs: item, not_versus_body
-- default: 支出总计
-- default_when: 预算|决算|盘子|总额
-- match: 增加|减少|增长|下降|增幅|降幅|增减|变化|变动|比上年|较上年|同比|上升|减幅|多了|少了|比(20\d\d年|去年|上年)?(预算|年初预算|调整预算|执行数)|涨|降了|(?<!最)多多少|(?<!最)少多少|持平|相比|(跟|和|与|同)(去年|上年)比|怎么变|变了多少|是增是减|增还是减|压减|砍了|降到|降为|减到|翻了?[一两二三四五六七八九十\d]*(倍|番)
-- priority: 40
-- compose: change
-- uses: item_figures, longer_named_figures
-- operators: change, rate
-- the item's figures, and the narrative's under a longer name that holds the one asked ("机关事业单位职业年金缴费支出
-- （项）" for 职业年金缴费): where it states the same amount, its last year and change are the item's
select * from item_figures
union all
select * from longer_named_figures
where source = 'text'
