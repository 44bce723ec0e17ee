CREATE DOMAIN public.price AS numeric(10,2) DEFAULT 0 NOT NULL CONSTRAINT price_positive CHECK (VALUE >= 0);
COMMENT ON DOMAIN public.price IS 'money in cents';
COMMENT ON CONSTRAINT price_positive ON DOMAIN public.price IS 'no negative prices';
CREATE TABLE public.t (id int PRIMARY KEY);
CREATE TABLE public.items (id int PRIMARY KEY, amount public.price);
