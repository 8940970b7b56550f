-- id: item_figure
-- title: 项目的数字
-- description: 一份文档中一个或几个项目的数字：表中印的和情况说明中写的（两者不同时都列出并指明）。问“上年”“年初预算”“决算数”取那一栏；问“几辆”“多少人”取数量，不拿金额充数。
-- examples: 三公经费多少 | 基本支出和项目支出各多少 | 住房公积金是多少 | 2010301是多少 | 公务用车有几辆 | 上年项目支出多少
-- slots: documents, concepts, names, codes
-- needs: item
-- priority: 80
-- compose: values
-- uses: item_figures
select * from item_figures
