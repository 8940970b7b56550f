-- id: item_per_period
-- title: 每月或每天平均
-- description: 一个全年金额除以12个月或该年的天数（365或366天），写明算式；预算按全年安排，实际支出不一定均匀。
-- examples: 支出总计平均每月多少 | 三公经费一天合多少钱 | 项目支出月均多少
-- slots: documents, concepts, names, codes
-- needs: item
-- match: 月均|日均|每一?个?月|每天|每日|一个?月(摊|合|算|平均)|一天(合|摊|花|平均)|(下来|平均)一天
-- priority: 31
-- compose: per_period
-- default: 支出总计
-- default_when: 预算|决算|盘子|总额
-- uses: item_figures
-- operators: per_period
select * from item_figures
order by document_id, page, source, row_no, col_no
