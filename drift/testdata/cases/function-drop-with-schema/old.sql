CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE SCHEMA util;
CREATE FUNCTION util.f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
