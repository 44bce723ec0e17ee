CREATE EXTENSION btree_gist;
CREATE TYPE public.slot AS RANGE (SUBTYPE = int4);
CREATE TABLE public.rooms (id int PRIMARY KEY);
CREATE TABLE public.bookings (room int, during public.slot, EXCLUDE USING gist (room WITH =, during WITH &&));
