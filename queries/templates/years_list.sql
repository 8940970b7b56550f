-- id: years_list
-- title: 已加载的年度
-- description: 数据库里有哪些年度的文档，每年几份、哪些单位。
-- examples: 有哪些年份的数据 | 收录了哪几年 | 有哪些年度
-- slots:
-- scope: none
-- needs: no_item, no_body
-- match: (哪些|哪几|几个|什么)(年|年份|年度)
-- priority: 12
-- compose: listing
select min(d.document_id) as document_id, d.year, count(*) as documents, string_agg(distinct d.body, '、' order by d.body) as bodies
from documents as d
group by d.year
order by d.year
