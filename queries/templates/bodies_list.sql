-- id: bodies_list
-- title: 已加载的单位
-- description: 数据库里有哪些部门和单位，各有几份文档、哪些年度。
-- examples: 有哪些部门 | 收录了哪些单位 | 有几个部门的预算
-- slots:
-- scope: none
-- needs: no_item, no_body
-- match: (哪些|哪几个|几个|多少个?)(部门|单位|机构)
-- priority: 11
-- compose: listing
select min(d.document_id) as document_id, d.body as label, d.region, count(*) as documents,
       string_agg(distinct cast(d.year as varchar), '、' order by cast(d.year as varchar)) as years
from documents as d
group by d.body, d.region
order by d.region, d.body
