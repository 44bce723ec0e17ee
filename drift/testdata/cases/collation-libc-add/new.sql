CREATE COLLATION public.posix_c (provider = libc, locale = 'C');
CREATE TABLE public.t (id int PRIMARY KEY, code text COLLATE public.posix_c);
