CREATE DOMAIN public.qty AS int NOT NULL;
CREATE TABLE public.m (id int, region int, q public.qty) PARTITION BY LIST (region);
CREATE TABLE public.m_eu PARTITION OF public.m FOR VALUES IN (1);
CREATE TABLE public.m_us PARTITION OF public.m FOR VALUES IN (2);
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty);
